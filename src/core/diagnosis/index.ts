// From one recorded connection (with its neighbours, the page's context and the network's word)
// to a category, the evidence, ranked causes and fixes; and the diagnosis as Markdown for a bug
// report.
export * from './diagnose.ts';
export * from './markdown.ts';

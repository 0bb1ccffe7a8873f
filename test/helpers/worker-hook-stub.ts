// The worker hook's source as the unit tests see it: the extension build makes the real one
// (scripts/worker-hook.ts); tests of the hub only need a string with the placeholders.
export default "(() => { const name = 'sa_binding_placeholder'; const url = 'sa_url_placeholder'; void name; void url; })();";

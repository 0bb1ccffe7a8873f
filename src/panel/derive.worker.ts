// The panel's deriver thread (deriver/core.ts): diagnoses, chains, the summary and the HAR
// export off the panel's main thread, whose long tasks they were.
import { Deriver } from './deriver/core.ts';
import { parsePanelToDeriver } from './deriver/protocol.ts';

const deriver = new Deriver();
const scope = self as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };

scope.onmessage = (e) => {
  const msg = parsePanelToDeriver(e.data);
  if (!msg) {
    if (__SA_DEBUG__) console.debug('[socket-autopsy deriver] bad message', e.data);
    return;
  }
  const out = deriver.handle(msg);
  if (out) scope.postMessage(out);
};

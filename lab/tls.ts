import { execFile } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LabCert {
  key: string;
  cert: string;
  /** base64(sha256(SubjectPublicKeyInfo)): what Chromium's --ignore-certificate-errors-spki-list takes. */
  spki: string;
}

/** The value Chromium's --ignore-certificate-errors-spki-list expects for this certificate. */
export function spkiHash(certPem: string): string {
  const der = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/**
 * A fresh self-signed certificate from the openssl command line: Node has no certificate
 * builder, and a key pair made per lab start means no private key is ever committed. The
 * subjectAltName matters: Chromium ignores the CN for name matching, so without a SAN the
 * self-signed certificate would also fail on its name and the scenario would test two things.
 */
export async function makeSelfSigned(openssl: string, cn: string, san: string): Promise<LabCert> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sa-lab-cert-'));
  try {
    const keyFile = path.join(dir, 'k.pem');
    const certFile = path.join(dir, 'c.pem');
    await run(openssl, [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-days', '2',
      '-addext', `subjectAltName=${san}`, '-keyout', keyFile, '-out', certFile,
    ]);
    const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
    return { key, cert, spki: spkiHash(cert) };
  } finally {
    // Held in memory from here on; nothing secret stays on disk after the lab starts.
    await rm(dir, { recursive: true, force: true });
  }
}

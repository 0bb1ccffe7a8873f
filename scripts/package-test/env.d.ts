// The suite reads its lab's URL from the environment; the temporary project installs no
// @types/node (only the package and @playwright/test), so this is all it declares of Node.
declare const process: { env: Record<string, string | undefined> };

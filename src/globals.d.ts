// Build-time constants injected by vite.config.ts `define`.
declare const __SA_CHANNEL__: string;
declare const __SA_VERSION__: string;
declare const __SA_DEBUG__: boolean;

declare const __DORA_VERSION__: string | undefined;

/** Injected by the esbuild bundle; tests and tsx runs read package.json's version. */
export const VERSION: string = typeof __DORA_VERSION__ === 'string' ? __DORA_VERSION__ : '0.1.0-dev';

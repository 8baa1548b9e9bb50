export function bundleCli(entry: string, outfile: string): Promise<unknown>;

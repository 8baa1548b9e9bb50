export function bundleCli(entry: string, outfile: string): Promise<unknown>;
export function assignFields(source: string): string | undefined;
export function withoutEsprima(source: string): string | undefined;

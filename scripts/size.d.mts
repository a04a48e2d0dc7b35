export const BUDGET: number;
export const TARGET: number;
export function sizes(file: string): { raw: number; gzip: number; brotli: number };

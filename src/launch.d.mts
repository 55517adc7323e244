/** Types of src/launch.mjs, for the benchmark and the tests that compile with it. */
export declare const REPO: string;
export declare const DIST: string;
export declare function compileTree(dirs: string[], root?: string): Promise<string[]>;

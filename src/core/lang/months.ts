/** Month names as users and the articles write them, each with its number. Data only. */

export const FRENCH_MONTHS: Readonly<Record<string, number>> = Object.freeze({
  janvier: 1, février: 2, fevrier: 2, mars: 3, avril: 4, mai: 5, juin: 6, juillet: 7,
  août: 8, aout: 8, septembre: 9, octobre: 10, novembre: 11, décembre: 12, decembre: 12,
});

export const ENGLISH_MONTHS: Readonly<Record<string, number>> = Object.freeze({
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
});

/** Abbreviations people type in questions ("Oct 2025"); the articles spell months out. */
export const ENGLISH_MONTH_ABBREVIATIONS: Readonly<Record<string, number>> = Object.freeze({
  jan: 1, feb: 2, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
});

/** This news source's own conventions (Vietnam News Agency pages). Data only. */

/** Agency names that sign off an article or a caption ("…ville russe.-VNA/VI", "– VNA", "VNA/CVN"). */
export const AGENCY_SIGN_OFFS: readonly string[] = Object.freeze(['VNA', 'CVN', 'TTXVN']);

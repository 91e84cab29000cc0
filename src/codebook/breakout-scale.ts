/**
 * Ben Nimmo's Breakout Scale (Brookings Institution, "The Breakout Scale: Measuring the impact of
 * influence operations", September 2020), the scale threat reports use to rate an influence
 * operation's reach. The dataset records the publisher's own rating; the project never rates.
 */
export const BREAKOUT_SCALE: { level: number; name: string; meaning: string }[] = [
  { level: 1, name: "One platform, no breakout", meaning: "Content stays on one platform and within the community that posted it." },
  {
    level: 2,
    name: "One platform with breakout, or many platforms without",
    meaning: "Content reaches people outside its community on one platform, or appears on several platforms without reaching beyond its community on any.",
  },
  { level: 3, name: "Many platforms, many breakouts", meaning: "Content spreads across several platforms and reaches new audiences on them." },
  { level: 4, name: "Cross-medium breakout", meaning: "Content moves beyond social media, e.g. it is reported or repeated by mainstream media." },
  { level: 5, name: "Celebrity amplification", meaning: "A high-profile person (politician, celebrity, influencer) amplifies the content." },
  { level: 6, name: "Policy response or call for violence", meaning: "The operation triggers a policy response or carries a call for violence." },
];

export const BREAKOUT_SCALE_RULE =
  "Record the rating the publisher states for the operation in that report, as the number it gives (1-6); leave it null when the report gives none. Never rate an operation ourselves or infer a level from the description. When reports re-rate an operation, each disclosure keeps its own rating.";

/** How each report's statements about an operation are recorded, and how the operation's own values follow from them. */
export const DISCLOSURE_RULE =
  "Each report that discloses an operation gets one disclosure, recording only what that report states: its Breakout Scale rating, the accounts it says were banned, how firmly it attributes the operation to its country of origin (CONFIRMED, LIKELY or POSSIBLE, from its own wording), and its own name for the operation where that differs. `quote` gives the report's sentences that state these values, verbatim (several joined by ` […] `), and `locator` where they stand (page, section or case-study heading); a value the report does not state stays null. The operation's own Breakout Scale, accounts banned and origin confidences are never typed beside its disclosures: the importer takes each from the latest report (by publication date) that states it. `npm run data:check` fails on an operation disclosed by several reports that types any of them itself, or that lacks a disclosure for one of its reports.";

/**
 * The name of a request's loader, computed from the statement its batches run: the SQL text as
 * written for the batch's keys as one (empty) array parameter, the values of every other
 * parameter, and `reading`, what the batch makes of the rows beyond what the SQL says (the order
 * a page is read back in, the cursors it encodes). Loaders share a name, and so a batch, only when
 * their statements are the same: an input that changes the SQL cannot be left out of the name, as
 * it could from a name written by hand.
 */
export function statementKey(text: string, values: readonly unknown[], reading = ""): string {
  return `${text}\n-- ${JSON.stringify(values)}${reading ? `\n-- ${reading}` : ""}`;
}

import readme from "../../../README.md?raw";

/** A ready-to-run query from the README, with the sentence that introduces it as its title. */
export interface Example {
  title: string;
  query: string;
}

/**
 * The README's example queries, read from README.md at build time so the playground and the
 * documentation never disagree: every ```graphql block, titled by the paragraph before it.
 */
export function readmeExamples(text: string = readme): Example[] {
  const examples: Example[] = [];
  const pattern = /```graphql\n([\s\S]*?)```/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const before = text.slice(0, match.index).trimEnd();
    const paragraph = before
      .slice(before.lastIndexOf("\n\n") + 2)
      .replace(/\s+/g, " ")
      .replace(/:$/, "")
      .trim();
    examples.push({ title: paragraph || `Example ${examples.length + 1}`, query: match[1].trim() + "\n" });
  }
  return examples;
}

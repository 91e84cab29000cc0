import readme from "../../../README.md?raw";
import apiDoc from "../../../docs/api.md?raw";

/** A ready-to-run query from the documentation, with the sentence that introduces it as its title. */
export interface Example {
  title: string;
  query: string;
}

/**
 * The documentation's example queries, read from README.md and docs/api.md at build time so the
 * playground and the documentation never disagree: every ```graphql block, titled by the paragraph
 * before it, each query once.
 */
export function docExamples(texts: string[] = [readme, apiDoc]): Example[] {
  const examples = texts.flatMap(examplesIn);
  return examples.filter((example, i) => examples.findIndex((other) => other.query === example.query) === i);
}

/** The ```graphql blocks of one Markdown text. */
export function examplesIn(text: string): Example[] {
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

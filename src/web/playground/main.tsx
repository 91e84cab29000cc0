import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import type { GraphiQLPlugin } from "@graphiql/react";
import { useEditorContext } from "@graphiql/react";
import "graphiql/style.css";
import { docExamples } from "./examples";
import { linkDocs } from "../shared/nav";

const DEFAULT_QUERY = "{ dataset { counts { operations } } }\n";
const examples = docExamples();

/**
 * Sends the playground's requests to the service that served it (same origin), with the headers
 * typed in the headers pane (an API key for curation, say).
 */
async function fetcher(params: { query: string; variables?: unknown; operationName?: string | null }, options?: { headers?: Record<string, unknown> }) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(options?.headers as Record<string, string> | undefined),
    },
    body: JSON.stringify(params),
  });
  return response.json();
}

function ExamplesPane() {
  const { queryEditor, variableEditor } = useEditorContext({ nonNull: true });
  return (
    <div className="pg-examples">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p>The queries from the README and docs/api.md. Choose one to put it in the editor, then run it with the ▶ button (Ctrl-Enter).</p>
      <ul>
        {examples.map((example) => (
          <li key={example.title}>
            <button
              type="button"
              onClick={() => {
                queryEditor?.setValue(example.query);
                variableEditor?.setValue("");
              }}
            >
              {example.title}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
      <path d="M4 5h16M4 12h16M4 19h10" />
    </svg>
  );
}

const examplesPlugin: GraphiQLPlugin = { title: "Examples", icon: ExamplesIcon, content: ExamplesPane };

/** A query and variables handed over in the URL (`/graphql#query=...&variables=...`, or `?query=`). */
function queryFromUrl(): { query?: string; variables?: string } {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const search = new URLSearchParams(window.location.search);
  const query = fragment.get("query") ?? search.get("query") ?? undefined;
  const variables = fragment.get("variables") ?? search.get("variables") ?? undefined;
  return { query, variables };
}

const fromUrl = queryFromUrl();

linkDocs();
createRoot(document.getElementById("graphiql")!).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      query={fromUrl.query}
      variables={fromUrl.variables}
      plugins={[examplesPlugin]}
      defaultEditorToolsVisibility={fromUrl.variables ? "variables" : false}
    />
  </StrictMode>,
);

import { InMemoryLRUCache } from "@apollo/utils.keyvaluecache";
import type { DocumentNode } from "graphql";

/**
 * Apollo Server's caches a client fills with the documents it sends, bounded in bytes. Apollo
 * measures a parsed document by the length of its JSON (about 20 bytes per character of the
 * query); held in memory with what execution attaches to its nodes (each field's selection and
 * columns), a cached page-of-operations document took about 20 times its JSON (bench/README.md),
 * so DOCUMENT_STORE_BYTES of JSON hold about 40 MB.
 */
export const DOCUMENT_STORE_BYTES = 2 * 1024 * 1024;
/** Characters of automatic-persisted-query texts kept (two bytes each at most). */
export const PERSISTED_QUERY_CHARACTERS = 4 * 1024 * 1024;

/** Parsed and validated documents, by query hash (least recently used evicted first). */
export const documentStore = () => new InMemoryLRUCache<DocumentNode>({ maxSize: DOCUMENT_STORE_BYTES });

/** Texts registered through automatic persisted queries, by hash (least recently used evicted first). */
export const persistedQueryCache = () => new InMemoryLRUCache<string>({ maxSize: PERSISTED_QUERY_CHARACTERS });

import pg from "pg";
import type { Socket } from "node:net";
import type { PoolClient } from "pg";

/*
 * The fields of pg (node-postgres) the service reads that pg does not document, in one place.
 * Checked against pg 8.23.1; test/unit/library-internals.test.ts fails when a release moves them.
 */

/**
 * The statements a client's connection holds prepared, name -> text (pg's
 * `connection.parsedStatements`): counted to cap prepared shapes per connection, and cleared with
 * `DEALLOCATE ALL` so pg prepares a shape anew.
 */
export function preparedStatements(client: PoolClient | pg.Client): Record<string, string> {
  return (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
}

/** Names a query object, which pg then prepares once per connection (pg reads `name` off the Query it is handed). */
export function nameQuery(query: pg.Query, name: string | undefined): void {
  (query as unknown as { name?: string }).name = name;
}

/** The server process a client talks to and the key a cancel request for it needs (pg's `processID` and `secretKey`, from BackendKeyData). */
export function backendKey(client: PoolClient | pg.Client): { processID: number; secretKey: number } {
  const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
  return { processID, secretKey };
}

/** The wire connection of a client not yet connected, and where it would connect: what sending a bare CancelRequest needs. */
export interface RawConnection {
  host: string;
  port: number;
  connection: {
    stream: Socket;
    on(event: string, fn: () => void): void;
    connect(port: number | string, host?: string): void;
    cancel(processID: number, secretKey: number): void;
  };
}

/** A new client's `connection`, `host` and `port`, to send PostgreSQL's CancelRequest over a socket of its own without logging in. */
export function rawConnection(config: pg.ClientConfig): RawConnection {
  return new pg.Client(config) as unknown as RawConnection;
}

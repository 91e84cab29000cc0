import net from "node:net";

/**
 * Fails when the service's port is taken, with a message naming PORT, so a second service on the
 * same port stops before it starts (or creates) a database. Port 0 (any free port) always passes.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`PORT ${port} is already in use on ${host} (another service?); stop that one, or set PORT to a free port`)
          : error.code === "EACCES"
            ? new Error(`PORT ${port} needs privileges this process does not have on ${host}; set PORT to a port above 1023`)
            : error,
      ),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

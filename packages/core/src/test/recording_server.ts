/**
 * A real HTTP(S) server on 127.0.0.1 (port 0: the OS picks) that records every
 * request it receives, preflights included. Used by core's host_fetch tests and
 * by e2e/security specs (which import this file) to prove that a forbidden
 * server saw nothing.
 *
 * Routes (every response allows CORS from any origin, so a browser shows it):
 * - `/redirect?status=302&to=<url>`: that status with `Location: <url>` verbatim;
 * - `/loop`: 302 to itself;
 * - `/slow`: sends its headers and "start" at once, the rest after `ms` (default 5000) milliseconds;
 * - `/mod.js`: a JavaScript module exporting `where` (this server's origin);
 * - anything else: 200 with the text `ok <method> <path>`.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The client went away before the response was finished (an aborted fetch). */
  aborted: boolean;
}

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface RecordingServerOptions {
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export async function startRecordingServer(options: RecordingServerOptions = {}): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let origin = "";
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const record: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        aborted: false,
      };
      requests.push(record);
      res.on("close", () => {
        if (!res.writableFinished) record.aborted = true;
      });
      respond(req, res, origin);
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, handle) : createHttpServer(handle);
  // A test that blocks Node's event loop for seconds (booting a debug-build runtime) must not
  // find its keep-alive socket closed under it (ECONNRESET on the next request).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  return {
    origin,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(req: IncomingMessage, res: ServerResponse, origin: string): void {
  const url = new URL(req.url ?? "/", origin);
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("access-control-allow-headers", "*");
  res.setHeader("access-control-allow-methods", "*");
  res.setHeader("access-control-expose-headers", "*");
  if (req.method === "OPTIONS") {
    res.statusCode = 204;
    res.end();
    return;
  }
  if (url.pathname === "/redirect") {
    res.statusCode = Number(url.searchParams.get("status") ?? 302);
    res.setHeader("location", url.searchParams.get("to") ?? "/");
    res.end("redirecting");
    return;
  }
  if (url.pathname === "/loop") {
    res.statusCode = 302;
    res.setHeader("location", "/loop");
    res.end();
    return;
  }
  if (url.pathname === "/slow") {
    res.write("start");
    const timer = setTimeout(() => res.end("end"), Number(url.searchParams.get("ms") ?? 5000));
    res.on("close", () => clearTimeout(timer));
    return;
  }
  if (url.pathname === "/mod.js") {
    res.setHeader("content-type", "text/javascript");
    res.end(`export const where = ${JSON.stringify(origin)};`);
    return;
  }
  res.setHeader("content-type", "text/plain");
  res.end(`ok ${req.method} ${url.pathname}`);
}

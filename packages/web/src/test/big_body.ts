import type { ServerResponse } from "node:http";

/** Streams `size` bytes of `byte` in 1 MiB chunks, honouring backpressure. */
export function sendBigBody(res: ServerResponse, size: number, byte: number): void {
  res.setHeader("content-length", String(size));
  const chunk = Buffer.alloc(1 << 20, byte);
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    res.end();
  };
  pump();
}

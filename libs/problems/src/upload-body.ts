import { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { ProblemUploadTooLargeError } from './problem-errors';

/**
 * Reads a raw request body (a zip upload) up to `maxBytes`. A declared length over the bound is
 * refused before reading; a body that grows past it stops being read.
 */
export async function readUploadBody(request: Readable & { headers: IncomingHttpHeaders }, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new ProblemUploadTooLargeError(`upload: larger than ${Math.floor(maxBytes / (1024 * 1024))} MB (PROBLEM_MAX_UPLOAD_MB)`);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.pause();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request) {
    received += (chunk as Buffer).length;
    if (received > maxBytes) {
      request.pause();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, received);
}

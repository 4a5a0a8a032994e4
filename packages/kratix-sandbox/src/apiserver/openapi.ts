/*
 * Minimal OpenAPI endpoints. kubectl (1.27 and 1.33 alike) downloads OpenAPI before create/apply
 * to decide between server-side field validation and client-side validation, and refuses to go
 * on without --validate=false when the download fails. Empty documents tell it "no schema for
 * this kind", so it skips client-side validation and leaves validation to this server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SERVER_VERSION } from './discovery';
import { sendJson } from './http';

const PROTOBUF_V2 =
  'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

export function isOpenApiPath(pathname: string): boolean {
  return (
    pathname === '/openapi/v2' ||
    pathname === '/openapi/v3' ||
    pathname === '/swagger.json'
  );
}

export function serveOpenApi(
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (pathname === '/openapi/v3') {
    sendJson(res, 200, { paths: {} });
    return;
  }
  const accept = req.headers.accept ?? '';
  if (accept.includes(PROTOBUF_V2) && !accept.includes('application/json')) {
    // An openapi_v2.Document with no fields set is an empty protobuf message.
    // The apiserver answers with `.v1.0` for `@v1.0`: Go's mime parser rejects the '@'.
    res.writeHead(200, {
      'Content-Type':
        'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      'Content-Length': 0,
    });
    res.end();
    return;
  }
  sendJson(res, 200, {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths: {},
    definitions: {},
  });
}

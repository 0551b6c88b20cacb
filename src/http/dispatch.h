/*
** The socket-free half of the HTTP server: from a parsed request (method,
** decoded path, query, headers, cookies, body) to a status and reply bytes.
** The libmicrohttpd callback (server.c) and the fuzzer (fuzz/fuzz_http.c)
** both drive requests through it, so that what is fuzzed is what serves.
*/
#ifndef QS_HTTP_DISPATCH_H
#define QS_HTTP_DISPATCH_H
#include "http/server.h"

struct http_body_limits {
  size_t max_body;             /* --max-body: no route takes more */
  size_t anonymous_max_body;   /* --anonymous-max-body: callers not signed in */
};

/* Decide from the request line and headers alone, before any body is read:
** path and query must be UTF-8, the route is found, the caller identified
** and authorized, and req->route and req->max_body are set. Returns 1 if
** the request may go on (its body, up to req->max_body, then http_run), or
** 0 with the reply in RES (400, 401, 403, 404, 405). */
int http_accept(struct http_request *req, struct http_response *res,
                const struct http_body_limits *limits);

/* Does every rule of http_body_rules name a route? 0, or -1 with ERR. */
int http_check_body_rules(char *err, size_t errlen);

/* The body length the Content-Length header announces: 0 if none (a
** chunked body is counted as it arrives), SIZE_MAX if it is not a number. */
size_t http_declared_length(struct http_request *req);

/* Reply 413 naming the limit of REQ's route for this caller. */
void http_reply_too_large(struct http_request *req, struct http_response *res);

/* Run the accepted request's route. */
void http_run(struct http_request *req, struct http_response *res);

/* Encode RES's JSON into owned_body. Never fails: a reply that cannot be
** encoded (a handler's json_pack refused its input, or memory ran out)
** becomes a fixed 500 and res->encode_failed is set. */
void http_encode(struct http_response *res);

/* Free what RES still owns. */
void http_response_free(struct http_response *res);

#endif

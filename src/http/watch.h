/*
** Deadlines on slow clients that libmicrohttpd's idle timeout does not
** catch (a byte a second keeps a connection "active" forever): a request's
** headers must be complete within HEADER_SECONDS of the connection opening
** or of the previous reply, and its body must then arrive at BODY_RATE
** bytes a second on average after the same grace (Apache's reqtimeout
** "body=N,MinRate=R"). A sweeper thread shuts down the socket of a
** connection past its deadline; libmicrohttpd then closes it as usual.
*/
#ifndef QS_HTTP_WATCH_H
#define QS_HTTP_WATCH_H
#include <sys/socket.h>
#include <microhttpd.h>
#include <stddef.h>

struct conn_watch;

struct conn_watch *watch_start(unsigned header_seconds, unsigned body_rate);
void watch_stop(struct conn_watch *w);

/* For MHD_OPTION_NOTIFY_CONNECTION (CLS is the watch). */
void watch_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                  enum MHD_ConnectionNotificationCode code);

/* The headers of CONN's request are in: its body deadline starts. */
void watch_headers_done(struct conn_watch *w, struct MHD_Connection *conn);
/* RECEIVED bytes of the body are in. */
void watch_body_progress(struct conn_watch *w, struct MHD_Connection *conn, size_t received);
/* The reply is queued: no deadline until the request is done. */
void watch_replying(struct conn_watch *w, struct MHD_Connection *conn);
/* The request is done: the next one's headers are due within the deadline. */
void watch_request_done(struct conn_watch *w, struct MHD_Connection *conn);

#endif

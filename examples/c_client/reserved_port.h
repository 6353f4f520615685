/* reserved_port: a small C library written as Windows code, the way reservation clients are.
 * It knows nothing of portres: its tests link it with portres::seam. */
#ifndef RESERVED_PORT_H
#define RESERVED_PORT_H

#include <winsock2.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A UDP port the program keeps: `user` is bound to `port`, inside the block of `port_count`
 * ports from `first_port` (host byte order) that `owner` reserved. */
typedef struct rp_endpoint {
  SOCKET owner;
  SOCKET user;
  ULONG64 token;
  USHORT first_port;
  USHORT port_count;
  USHORT port;
} rp_endpoint;

/* WSAStartup(2.2): 0 or its error. */
int rp_startup(void);
void rp_cleanup(void);

/* Reserves a block of port_count ports and binds a socket inside it. 0, or the Winsock error
 * of the call that failed; on failure nothing is left open or reserved. */
int rp_open(USHORT port_count, rp_endpoint* endpoint);
/* Releases the block and closes both sockets: 0, or the first error (everything is closed). */
int rp_close(rp_endpoint* endpoint);

/* A persistent TCP reservation of port_count ports from first_port (host byte order) that
 * survives restarts: made if absent, looked up if this program made it before. NO_ERROR or
 * iphlpapi's error. */
ULONG rp_persist(USHORT first_port, USHORT port_count, ULONG64* token);
ULONG rp_unpersist(USHORT first_port, USHORT port_count);

#ifdef __cplusplus
}
#endif

#endif /* RESERVED_PORT_H */

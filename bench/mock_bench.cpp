// The fake's calls through portres::MockSocketIoctl (GoogleMock, delegating to the fake): what a
// test pays for being able to EXPECT_CALL on top of the fake's behaviour. Built only once
// <portres/mock_socket_ioctl.h> exists.
#if __has_include(<portres/mock_socket_ioctl.h>)
#define PORTRES_BENCH_HAVE_MOCK 1
#endif

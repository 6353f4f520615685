#include <gtest/gtest.h>
#include <portres/winsock.h>
#include <portres/winsock_error.h>

#include <initializer_list>
#include <system_error>

namespace portres {
namespace {

TEST(WinsockCategory, Message_NamesTheCodeAndItsNumber) {
  EXPECT_EQ(make_winsock_error(WSAEINVAL).message(), "WSAEINVAL (10022): invalid argument");
  EXPECT_EQ(make_winsock_error(WSA_IO_PENDING).message(),
            "WSA_IO_PENDING (997): overlapped operation will complete later");
}

TEST(WinsockCategory, UnknownCode_StillSaysTheNumber) {
  EXPECT_EQ(make_winsock_error(12345).message(), "error 12345");
}

TEST(WinsockCategory, CodesCompareWithinTheirCategoryOnly) {
  EXPECT_EQ(make_winsock_error(WSAEACCES), make_winsock_error(WSAEACCES));
  EXPECT_NE(make_winsock_error(WSAEACCES), make_winsock_error(WSAEINVAL));
  EXPECT_NE(make_winsock_error(WSA_INVALID_PARAMETER), make_win32_error(ERROR_INVALID_PARAMETER));
  EXPECT_STREQ(winsock_category().name(), "winsock");
  EXPECT_STREQ(win32_category().name(), "win32");
}

TEST(WinsockCategory, CodesEqualThePortableConditions) {
  EXPECT_EQ(make_winsock_error(WSAEADDRINUSE), std::errc::address_in_use);
  EXPECT_EQ(make_winsock_error(WSAEACCES), std::errc::permission_denied);
  EXPECT_EQ(make_winsock_error(WSAEADDRNOTAVAIL), std::errc::address_not_available);
  EXPECT_EQ(make_winsock_error(WSAECONNREFUSED), std::errc::connection_refused);
  EXPECT_EQ(make_winsock_error(WSAEINVAL), std::errc::invalid_argument);
  EXPECT_EQ(make_winsock_error(WSAENOTSOCK), std::errc::not_a_socket);
  EXPECT_EQ(make_winsock_error(WSAEOPNOTSUPP), std::errc::operation_not_supported);
  EXPECT_EQ(make_winsock_error(WSAENOBUFS), std::errc::no_buffer_space);
  EXPECT_EQ(make_winsock_error(WSA_OPERATION_ABORTED), std::errc::operation_canceled);
  EXPECT_NE(make_winsock_error(WSAEADDRINUSE), std::errc::permission_denied);
  // A code with no portable counterpart is a condition of its own category.
  EXPECT_EQ(make_winsock_error(WSANOTINITIALISED).default_error_condition().category(),
            winsock_category());
}

TEST(Win32Category, CodesEqualThePortableConditions) {
  EXPECT_EQ(make_win32_error(ERROR_SHARING_VIOLATION), std::errc::address_in_use);
  EXPECT_EQ(make_win32_error(ERROR_ACCESS_DENIED), std::errc::permission_denied);
  EXPECT_EQ(make_win32_error(ERROR_INVALID_PARAMETER), std::errc::invalid_argument);
  EXPECT_NE(make_win32_error(ERROR_NOT_FOUND), std::errc::no_such_file_or_directory);
}

TEST(Win32Category, NamesTheIphlpapiCodes) {
  EXPECT_EQ(Win32ErrorName(ERROR_SHARING_VIOLATION), "ERROR_SHARING_VIOLATION");
  EXPECT_EQ(Win32ErrorName(ERROR_NOT_FOUND), "ERROR_NOT_FOUND");
  EXPECT_EQ(DescribeWin32Error(ERROR_ACCESS_DENIED), "ERROR_ACCESS_DENIED (5)");
  EXPECT_EQ(make_win32_error(ERROR_NOT_FOUND).message(),
            "ERROR_NOT_FOUND (1168): no such reservation");
}

TEST(ErrorName, CoversTheReleasePageErrorTable) {
  for (int code :
       std::initializer_list<int>{WSA_IO_PENDING, WSA_OPERATION_ABORTED, WSAEFAULT, WSAEINPROGRESS,
                                  WSAEINTR, WSAEINVAL, WSAENETDOWN, WSAENOTSOCK, WSAEOPNOTSUPP}) {
    EXPECT_FALSE(ErrorName(code).empty()) << code;
  }
  EXPECT_EQ(DescribeError(WSAENETDOWN), "WSAENETDOWN (10050)");
  EXPECT_EQ(DescribeError(4242), "error 4242");
}

TEST(IoctlName, NamesTheThreeReservationCodes) {
  EXPECT_EQ(IoctlName(SIO_ACQUIRE_PORT_RESERVATION), "SIO_ACQUIRE_PORT_RESERVATION");
  EXPECT_EQ(IoctlName(SIO_RELEASE_PORT_RESERVATION), "SIO_RELEASE_PORT_RESERVATION");
  EXPECT_EQ(IoctlName(SIO_ASSOCIATE_PORT_RESERVATION), "SIO_ASSOCIATE_PORT_RESERVATION");
  EXPECT_TRUE(IoctlName(0x12345678).empty());
}

}  // namespace
}  // namespace portres

// The matchers that are functions rather than gMock matcher classes.
#include <portres/matchers.h>

namespace portres {

testing::AssertionResult LastErrorIs(ISocketIoctl& api, int code) {
  const int actual = api.WSAGetLastError();
  if (actual == code) return testing::AssertionSuccess() << "last error is " << DescribeError(code);
  return testing::AssertionFailure()
         << "last error is " << DescribeError(actual) << ", not " << DescribeError(code);
}

}  // namespace portres

// The matchers that are functions rather than gMock matcher classes.
#include <portres/matchers.h>
#include <portres/mock_socket_ioctl.h>

#include <string>

namespace portres {
namespace detail {

std::string ExplainLastFailure(const FakeSocketIoctl& fake, int error) {
  const std::optional<CallRecord> failure = fake.LastFailure();
  if (!failure || failure->error != error) return "";
  return "; set by " + Describe(*failure);
}

}  // namespace detail

testing::AssertionResult LastErrorIs(ISocketIoctl& api, int code) {
  const int actual = api.WSAGetLastError();
  if (actual == code) return testing::AssertionSuccess() << "last error is " << DescribeError(code);
  // The fake behind `api`, if any: its record says which call set the error, and why.
  const FakeSocketIoctl* fake = dynamic_cast<const FakeSocketIoctl*>(&api);
  if (const auto* mock = dynamic_cast<const MockSocketIoctl*>(&api)) fake = &mock->fake();
  return testing::AssertionFailure()
         << "last error is " << DescribeError(actual) << ", not " << DescribeError(code)
         << (fake != nullptr ? detail::ExplainLastFailure(*fake, actual) : std::string());
}

}  // namespace portres

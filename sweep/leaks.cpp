// What a process of the fake still holds, in the words the sweep and the leak check share.
#include <portres/describe.h>
#include <portres/leaks.h>

#include <string>
#include <string_view>

namespace portres {

Leaks LeaksOf(const FakeSocketIoctl& fake) { return {fake.Reservations(), fake.Sockets()}; }

std::string DescribeLeaks(const Leaks& leaks, std::string_view indent) {
  if (leaks.empty()) return "no leaks";
  std::string text;
  for (const SocketInfo& socket : leaks.sockets) {
    text.append(indent).append("leaked ").append(Describe(socket)).append("\n");
  }
  for (const ReservationInfo& reservation : leaks.reservations) {
    text.append(indent).append("leaked reservation ").append(Describe(reservation)).append("\n");
  }
  return text;
}

}  // namespace portres

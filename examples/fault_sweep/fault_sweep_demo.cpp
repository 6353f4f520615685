// fault_sweep_demo: sweeps the leaky probe and prints what the sweep reports, then the correct
// probe's one-line summary. Exits 1 if the sweep did not find the leaky probe's bugs or found
// one in the correct probe. `cmake --workflow --preset example` (the README's second command)
// builds and runs it.
#include <portres/fault_sweep.h>

#include <iostream>

#include "reserved_port_probe.h"

int main() {
  using portres::ISocketIoctl;
  const portres::SweepResult leaky =
      portres::RunFaultSweep([](ISocketIoctl& api) { example::ProbeReservedPortLeaky(api, 4); });
  std::cout << "ProbeReservedPortLeaky, " << leaky.Report() << "\n";

  const portres::SweepResult correct =
      portres::RunFaultSweep([](ISocketIoctl& api) { example::ProbeReservedPort(api, 4); });
  std::cout << "ProbeReservedPort, " << correct.Report();
  return !leaky.ok() && correct.ok() ? 0 : 1;
}

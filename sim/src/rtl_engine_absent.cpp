// Built when MPLSEC_WITH_RTL is off: the RTL engine is not available.
#include <stdexcept>

#include "mplsec/engine.hpp"

namespace mplsec::sim {

std::unique_ptr<Engine> make_rtl_engine() {
    throw std::runtime_error("this build has no RTL engine (configured with MPLSEC_WITH_RTL=OFF); use --engine model");
}

}  // namespace mplsec::sim

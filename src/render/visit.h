// Overloaded{lambdas...}: one visitor for std::visit from a lambda per alternative (the
// emitters' way of walking doc::Inline and doc::Block). Internal to src/render/.
#pragma once

namespace risksync::render_detail {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace risksync::render_detail

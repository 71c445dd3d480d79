// cpp: C++ with exceptions and the standard library, linked statically.
// Throwing across a function boundary needs unwind tables and libgcc's
// unwinder in the binary: the size profile keeps them for C++.
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>

static int lookup(const std::map<std::string, int>& sizes, const std::string& key) {
    auto it = sizes.find(key);
    if (it == sizes.end()) throw std::out_of_range("no size recorded for " + key);
    return it->second;
}

int main() {
    const std::map<std::string, int> sizes{{"pausle", 727}, {"speck", 4}};
    try {
        std::cout << "speck: " << lookup(sizes, "speck") << " kB\n";
        lookup(sizes, "glibc");
    } catch (const std::exception& e) {
        std::cout << "caught: " << e.what() << '\n';
        return 0;
    }
    return 1;
}

// Package testenv finds what the tests need outside the module: the real data
// in ../shared/data, a Python with numpy, Node.js packages. Each finder skips the
// test with a message that says what is missing, or fails it instead when
// QKV_REQUIRE_REFS=1 (CI sets it, so a missing reference cannot pass unnoticed).
package testenv

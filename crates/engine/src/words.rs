//! Little-endian words read from bytes at an offset, each one whole load. The hot loops that
//! hold short ids, hash keys and split text read bytes this way instead of copying a variable
//! number of them, which is a call of its own in WebAssembly.

/// The 8 bytes from `at`.
#[inline(always)]
pub(crate) fn word(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// The 4 bytes from `at`.
#[inline(always)]
pub(crate) fn half(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

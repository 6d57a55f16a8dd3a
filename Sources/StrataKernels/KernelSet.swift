import CStrataKernels

/// A complete set of kernels: the portable scalar reference, or the fastest set this CPU runs.
///
/// `@unchecked Sendable`: it only wraps a pointer to an immutable, statically allocated C table.
public struct KernelSet: @unchecked Sendable, CustomStringConvertible {
    let table: OpaquePointer

    /// The scalar reference kernels (slow; the ground truth in tests).
    public static var reference: KernelSet { KernelSet(table: strata_kernels_reference()) }

    /// The fastest kernels this CPU supports (AVX2+FMA+F16C on capable x86, else the reference).
    /// Detection runs CPUID, so resolve it once (a `WeightMatrix` does at init), not per call.
    public static var best: KernelSet { KernelSet(table: strata_kernels_best()) }

    /// "reference" or "avx2".
    public var description: String { String(cString: strata_kernel_table_name(table)) }
}

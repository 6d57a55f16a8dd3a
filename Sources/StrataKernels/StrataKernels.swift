// StrataKernels

// StrataTokenizer

// StrataEngine

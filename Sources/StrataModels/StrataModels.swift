// StrataModels

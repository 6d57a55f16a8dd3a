import ArgumentParser

/// `strata models`: the model catalog.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Manage the model catalog: versions by digest, aliases, pins, deprecation.",
        subcommands: [
            ModelsImportCommand.self, ModelsListCommand.self, ModelsShowCommand.self, ModelsResolveCommand.self,
            ModelsAliasCommand.self, ModelsPinCommand.self, ModelsDeprecateCommand.self, ModelsRetireCommand.self,
            ModelsAuditCommand.self, ModelsGCCommand.self, ModelsRemoveBlobCommand.self, ModelsStressCommand.self,
        ]
    )
}

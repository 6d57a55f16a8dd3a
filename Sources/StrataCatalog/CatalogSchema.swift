import GRDB

extension VersionStatus: DatabaseValueConvertible {}

/// The catalog's schema as an ordered list of migrations. A migration, once released, never
/// changes; a new schema is a new migration appended here.
enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: models, versions, aliases, pins, audit") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: serving leases") { db in
            try db.execute(sql: v2)
        }
        return migrator
    }

    /// The first schema. Triggers keep versions immutable (only the life-cycle columns change,
    /// retirement is final, no row is ever deleted) and the audit log append-only.
    static let v1 = """
        CREATE TABLE model (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            createdAt DATETIME NOT NULL
        );
        CREATE TABLE version (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            modelId INTEGER NOT NULL REFERENCES model(id) ON DELETE RESTRICT,
            label TEXT NOT NULL,
            digest TEXT NOT NULL CHECK (length(digest) = 64),
            size INTEGER NOT NULL CHECK (size >= 0),
            architecture TEXT,
            parameterCount INTEGER NOT NULL,
            quantization TEXT,
            contextLength INTEGER,
            tokenizer TEXT,
            hasChatTemplate BOOLEAN NOT NULL,
            license TEXT,
            createdAt DATETIME NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deprecated', 'retired')),
            deprecationNote TEXT,
            sunsetDate TEXT,
            UNIQUE (modelId, label),
            UNIQUE (modelId, digest)
        );
        CREATE INDEX version_digest ON version(digest);
        CREATE TABLE alias (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            modelId INTEGER NOT NULL REFERENCES model(id) ON DELETE RESTRICT,
            name TEXT NOT NULL,
            versionId INTEGER NOT NULL REFERENCES version(id) ON DELETE RESTRICT,
            updatedAt DATETIME NOT NULL,
            UNIQUE (modelId, name)
        );
        CREATE INDEX alias_version ON alias(versionId);
        CREATE TABLE pin (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            owner TEXT NOT NULL,
            versionId INTEGER NOT NULL REFERENCES version(id) ON DELETE RESTRICT,
            updatedAt DATETIME NOT NULL
        );
        CREATE INDEX pin_version ON pin(versionId);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at DATETIME NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            model TEXT,
            old TEXT,
            new TEXT
        );
        CREATE INDEX audit_model ON audit(model);
        CREATE TRIGGER version_immutable
        BEFORE UPDATE OF id, modelId, label, digest, size, architecture, parameterCount, quantization,
            contextLength, tokenizer, hasChatTemplate, license, createdAt ON version
        BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
        CREATE TRIGGER version_retirement_final
        BEFORE UPDATE OF status ON version WHEN OLD.status = 'retired'
        BEGIN SELECT RAISE(ABORT, 'retirement is final'); END;
        CREATE TRIGGER version_never_deleted
        BEFORE DELETE ON version
        BEGIN SELECT RAISE(ABORT, 'versions are never deleted'); END;
        CREATE TRIGGER audit_no_update
        BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete
        BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """

    /// Leases: which running server processes have which blobs loaded. Runtime state rather
    /// than catalog history, so rows come and go (not audited); a row whose process is gone is
    /// ignored and cleaned up by the next server start.
    static let v2 = """
        CREATE TABLE lease (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            digest TEXT NOT NULL CHECK (length(digest) = 64),
            pid INTEGER NOT NULL,
            startedAt DATETIME NOT NULL,
            UNIQUE (digest, pid)
        );
        CREATE INDEX lease_digest ON lease(digest);
        """
}

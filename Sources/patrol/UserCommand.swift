import ArgumentParser
import Foundation
import HummingbirdBcrypt
import PatrolOutput
import PatrolStore
import PatrolViews

/// `patrol user`: the web console's accounts. A password is read from the terminal without echo
/// (twice), or as the first line of standard input when that is not a terminal; never from an
/// argument, where `ps` and the shell's history would show it. It is kept as a bcrypt hash.
struct UserCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "user", abstract: say(.userAbstract), discussion: say(.userDiscussion),
                             subcommands: [UserAdd.self, UserList.self, UserRemove.self, UserPasswd.self])
    }

    /// bcrypt's cost: 2^12 rounds, about a quarter of a second a check on the office's machine.
    static let cost: UInt8 = 12

    /// A name as it is typed at the login: printable, no spaces at its ends, at most 64 characters.
    static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64, name == name.trimmingCharacters(in: .whitespaces),
              !name.unicodeScalars.contains(where: Output.isControl)
        else { throw ValidationError(say(.userBadName)) }
    }

    /// The new password, asked for twice on a terminal, or the first line of standard input.
    static func newPassword() throws -> String {
        let password: String
        if Output.isTerminal(STDIN_FILENO) {
            let first = try readHidden(say(.userPasswordPrompt))
            let second = try readHidden(say(.userPasswordAgain))
            guard first == second else { throw CommandFailure(message: say(.userPasswordsDiffer), exit: .invalidInput) }
            password = first
        } else {
            guard let line = readLine(strippingNewline: true) else { throw CommandFailure(message: say(.userNoPassword), exit: .invalidInput) }
            password = line
        }
        // bcrypt reads 72 bytes at most: a longer password would be cut without a word.
        guard password.count >= 8, password.utf8.count <= 72 else {
            throw CommandFailure(message: say(.userPasswordLength), exit: .invalidInput)
        }
        return password
    }

    /// A line read from the terminal with its echo off.
    private static func readHidden(_ prompt: String) throws -> String {
        Output.log(prompt)
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            Output.log("\n")
        }
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure(message: say(.userNoPassword), exit: .invalidInput) }
        return line
    }
}

struct UserAdd: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: say(.userAddAbstract))
    }

    @Argument(help: ArgumentHelp(say(.userHelpName), valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp(say(.userHelpRole), valueName: "role"))
    var role: Account.Role

    @OptionGroup var store: DatabaseOptions

    func validate() throws { try UserCommand.checkName(name) }

    func run() throws {
        let database = try store.openStore()
        if try database.credentials(of: name) != nil { throw CommandFailure(message: say(.userExists, name), exit: .invalidInput) }
        let hash = Bcrypt.hash(try UserCommand.newPassword(), cost: UserCommand.cost)
        do {
            try database.addAccount(name: name, role: role, passwordHash: hash)
        } catch Store.AccountError.exists {
            throw CommandFailure(message: say(.userExists, name), exit: .invalidInput)
        }
        try Output.line(say(.userAdded, name, role.rawValue))
    }
}

struct UserList: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: say(.userListAbstract))
    }

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let accounts = try store.openForReading().accounts()
        if output.json { return try Output.line(try Format.json(Listing("users", accounts))) }
        guard !accounts.isEmpty else { return try Output.line(say(.userNone)) }
        var table = Table([.left(say(.userColumnName)), .left(say(.userColumnRole)), .left(say(.userColumnCreated)),
                           .left(say(.userColumnChanged))])
        for account in accounts {
            table.add([account.name, account.role.rawValue, Format.time(account.createdAt), Format.time(account.passwordChangedAt)])
        }
        try Output.line(table.render())
    }
}

struct UserRemove: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "remove", abstract: say(.userRemoveAbstract))
    }

    @Argument(help: ArgumentHelp(say(.userHelpName), valueName: "name"))
    var name: String

    @OptionGroup var store: DatabaseOptions

    func run() throws {
        do {
            try store.openStore().removeAccount(name: name)
        } catch Store.AccountError.noAccount {
            throw CommandFailure(message: say(.userNoAccount, name), exit: .notFound)
        }
        try Output.line(say(.userRemoved, name))
    }
}

struct UserPasswd: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "passwd", abstract: say(.userPasswdAbstract))
    }

    @Argument(help: ArgumentHelp(say(.userHelpName), valueName: "name"))
    var name: String

    @OptionGroup var store: DatabaseOptions

    func run() throws {
        let database = try store.openStore()
        guard try database.credentials(of: name) != nil else { throw CommandFailure(message: say(.userNoAccount, name), exit: .notFound) }
        let hash = Bcrypt.hash(try UserCommand.newPassword(), cost: UserCommand.cost)
        do {
            try database.setPassword(of: name, passwordHash: hash)
        } catch Store.AccountError.noAccount {
            throw CommandFailure(message: say(.userNoAccount, name), exit: .notFound)
        }
        try Output.line(say(.userPasswordChanged, name))
    }
}

extension Account.Role: ExpressibleByArgument {}

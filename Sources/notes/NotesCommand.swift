import ArgumentParser
import NotesKit

@main
struct NotesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notes")
}

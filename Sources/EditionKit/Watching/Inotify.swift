#if os(Linux)
import Glibc

/// The one wrapper around Linux's inotify: watches folders (one level each; the caller adds
/// subfolders) and hands back the names of what changed in them. Nothing else in edition
/// calls inotify_*.
final class Inotify {
    private let descriptor: Int32
    /// Watch descriptor → the folder it watches.
    private var folders: [Int32: String] = [:]

    struct Event {
        /// The changed entry's path (the folder's own path for events on the folder itself).
        var path: String
        var isFolder: Bool
        /// The folder itself went away or was moved (its watch is gone).
        var folderGone: Bool
        /// The kernel's queue overflowed: some events were lost.
        var overflow: Bool
        /// The entry was created (an editor's temporary file, often, renamed away at once).
        var created = false
    }

    /// Nil when inotify is unavailable (no kernel support, the per-user limit reached…).
    init?() {
        descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else { return nil }
    }

    deinit { close(descriptor) }

    /// Watches `folder` for files written and closed, moved in or out, created and deleted.
    /// False when the watch could not be added.
    @discardableResult
    func watch(_ folder: String) -> Bool {
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY
                          | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
        let watch = inotify_add_watch(descriptor, folder, mask)
        guard watch >= 0 else { return false }
        folders[watch] = folder
        return true
    }

    /// Waits up to `timeout` milliseconds for events and returns those that came (empty on a
    /// timeout or an interrupted wait).
    func read(timeout: Int32) -> [Event] {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, timeout) > 0 else { return [] }
        var events: [Event] = []
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<inotify_event>.alignment)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc.read(descriptor, buffer, size)
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameLength = Int(event.len)
                var name = ""
                if nameLength > 0 {
                    let start = buffer.advanced(by: offset + MemoryLayout<inotify_event>.size).assumingMemoryBound(to: CChar.self)
                    name = String(cString: start)
                }
                offset += MemoryLayout<inotify_event>.size + nameLength
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    events.append(Event(path: "", isFolder: false, folderGone: false, overflow: true))
                    continue
                }
                guard let folder = folders[event.wd] else { continue }
                if event.mask & UInt32(IN_IGNORED) != 0 {
                    folders[event.wd] = nil
                    continue
                }
                let gone = event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0
                events.append(Event(path: name.isEmpty ? folder : folder + "/" + name,
                                    isFolder: event.mask & UInt32(IN_ISDIR) != 0 || gone,
                                    folderGone: gone, overflow: false,
                                    created: event.mask & UInt32(IN_CREATE) != 0))
            }
        }
        return events
    }
}
#endif

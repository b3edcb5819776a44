import Dispatch
import Foundation

/// Work on independent items on every core, with results in the items' order: the output
/// does not depend on which thread finished first. Never for parsing: cmark-gfm keeps
/// process-wide state.
public enum Parallel {
    /// `transform` of each element, in order. `done` is told how many are finished after each
    /// one (from any thread, one call at a time). `serially` does them one after another on
    /// this thread (the same results).
    public static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], serially: Bool = false, done: (@Sendable (Int) -> Void)? = nil,
        _ transform: @Sendable (Element) throws -> Result
    ) throws -> [Result] {
        let count = elements.count
        guard !serially, count > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            var results: [Result] = []
            results.reserveCapacity(count)
            for (index, element) in elements.enumerated() {
                results.append(try transform(element))
                done?(index + 1)
            }
            return results
        }
        let slots = Slots<Result>(count: count)
        try withoutActuallyEscaping(transform) { transform in
            let work: @Sendable (Int) -> Void = { index in
                let outcome = Swift.Result { try transform(elements[index]) }
                slots.store(outcome, at: index, done: done)
            }
            DispatchQueue.concurrentPerform(iterations: count, execute: work)
            _ = transform
        }
        return try slots.results()
    }

    /// One slot per element, each written by one iteration; a lock guards the count and the
    /// hand-over, so the caller reads them only after every iteration has stored its own.
    private final class Slots<Result>: @unchecked Sendable {
        private var values: [Swift.Result<Result, any Error>?]
        private var finished = 0
        private let lock = NSLock()

        init(count: Int) { values = Array(repeating: nil, count: count) }

        func store(_ value: Swift.Result<Result, any Error>, at index: Int, done: (@Sendable (Int) -> Void)?) {
            lock.lock()
            defer { lock.unlock() }
            values[index] = value
            finished += 1
            done?(finished)
        }

        /// The results in order; the first error in element order is thrown.
        func results() throws -> [Result] {
            lock.lock()
            defer { lock.unlock() }
            return try values.map { try $0!.get() }
        }
    }
}

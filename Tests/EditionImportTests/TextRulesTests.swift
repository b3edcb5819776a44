import XCTest
@testable import EditionImport

final class TextRulesTests: XCTestCase {

    func testSuperscriptsBecomeReferencesWithTheSameNumber() {
        XCTAssertEqual(TextRules.superscriptsToReferences("remains intact.¹"), "remains intact.[^1]")
        XCTAssertEqual(TextRules.superscriptsToReferences("necessity.³⁴ And²"), "necessity.[^34] And[^2]")
        XCTAssertEqual(TextRules.superscriptsToReferences("⁶⁵ here"), "[^65] here")
        XCTAssertEqual(TextRules.superscriptsToReferences("no marks 12"), "no marks 12")
    }

    func testNoteStartReadsPlainAndBulletedNotes() {
        XCTAssertEqual(TextRules.noteStart("¹⁰ See note 11.")?.number, 10)
        XCTAssertEqual(TextRules.noteStart("¹⁰ See note 11.")?.text, "See note 11.")
        XCTAssertEqual(TextRules.noteStart("- ³⁵ **Los Tiempos;**")?.number, 35)
        XCTAssertEqual(TextRules.noteStart("- ³⁵ **Los Tiempos;**")?.text, "**Los Tiempos;**")
        XCTAssertNil(TextRules.noteStart("- A list item"))
        XCTAssertNil(TextRules.noteStart("Text with a mark¹"))
    }

    func testDollarSignsAreUnescaped() {
        XCTAssertEqual(TextRules.unescape(#"cost \$200 million"#), "cost $200 million")
    }

    func testEndsSentence() {
        XCTAssertTrue(TextRules.endsSentence("It ended."))
        XCTAssertTrue(TextRules.endsSentence("He said “Paz must go!”"))
        XCTAssertTrue(TextRules.endsSentence("the following:"))
        XCTAssertTrue(TextRules.endsSentence("to come. ■"))
        XCTAssertTrue(TextRules.endsSentence("**bold end.**"))
        XCTAssertFalse(TextRules.endsSentence("securing access to critical"))
        XCTAssertFalse(TextRules.endsSentence("an **anti-capitalist**"))
        XCTAssertFalse(TextRules.endsSentence("(with an 86% increase"))
    }

    func testParagraphSplitByABreakIsRejoined() {
        XCTAssertTrue(TextRules.continuesParagraph("The protests began with", "the August-October 2025 elections."))
        XCTAssertTrue(TextRules.continuesParagraph("the Evo-", "aligned faction"))
        XCTAssertEqual(TextRules.join("the Evo-", "aligned faction"), "the Evo-aligned faction")
        XCTAssertEqual(TextRules.join("began with", "the August"), "began with the August")
        // Capital after a lowercase last word of a long line of running text.
        XCTAssertTrue(TextRules.continuesParagraph(
            "bureaucratic sectors of the movement—both affiliated and unaffiliated with the",
            "COB, such as the Confederation of Education Workers"))
        XCTAssertTrue(TextRules.continuesParagraph("…the Workers' Party", "(POR-U)."))
    }

    func testParagraphsThatEndOrStartNewBlocksAreNotJoined() {
        XCTAssertFalse(TextRules.continuesParagraph("It ended.", "the next one"))
        XCTAssertFalse(TextRules.continuesParagraph("The movement faces decisive challenges", "1. **Unity:** The struggle"))
        XCTAssertFalse(TextRules.continuesParagraph("The historic COB headquarters is destroyed",
                                                    "1982 — Pressure from the working class"))
        XCTAssertFalse(TextRules.continuesParagraph("November 28, 2003", "Arms to the Bolivian Masses!"))
        XCTAssertFalse(TextRules.continuesParagraph("some text without end", "THE NEXT HEADING"))
    }

    func testCapitalHeadingDetection() {
        XCTAssertTrue(TextRules.isCapitalHeading("THE ROLE OF THE COB AND SPACES FOR SELF-ORGANIZATION"))
        XCTAssertTrue(TextRules.isCapitalHeading("OCTOBER 2003: THE UPRISING"))
        XCTAssertFalse(TextRules.isCapitalHeading("The COB, under the leadership"))
        XCTAssertFalse(TextRules.isCapitalHeading("2026"))
        XCTAssertFalse(TextRules.isCapitalHeading("- **FEJUVE**"))
    }

    func testProperCaseKeepsAcronymsAndLowersMinorWords() {
        XCTAssertEqual(TextRules.properCase("THE ROLE OF THE COB AND SPACES FOR SELF-ORGANIZATION"),
                       "The Role of the COB and Spaces for Self-Organization")
        XCTAssertEqual(TextRules.properCase("BOLIVIA: FROM THE REVOLUTIONARY CYCLE TO THE CONTAINMENT BY THE MAS"),
                       "Bolivia: From the Revolutionary Cycle to the Containment by the MAS")
        XCTAssertEqual(TextRules.properCase("STATE REPRESSION WITH THE SUPPORT OF U.S. IMPERIALISM"),
                       "State Repression with the Support of U.S. Imperialism")
        XCTAssertEqual(TextRules.properCase("THE REFORMIST POLITICS OF THE “CAMPS” ONCE AGAIN"),
                       "The Reformist Politics of the “Camps” Once Again")
        XCTAssertEqual(TextRules.properCase("BOLIVIA'S ECONOMIC TRANSFORMATION (2003–2024): BOOM, CRISIS"),
                       "Bolivia's Economic Transformation (2003–2024): Boom, Crisis")
        XCTAssertEqual(TextRules.properCase("THE ROLE OF LIT-CI AND THE IWL-FI IN THE FEJUVE"),
                       "The Role of LIT-CI and the IWL-FI in the FEJUVE")
        XCTAssertEqual(TextRules.properCase("WHAT IS IT FOR", acronyms: []), "What Is It For")
        XCTAssertEqual(TextRules.properCase("EL ALTO: THE HEART OF THE REVOLUTION"),
                       "El Alto: The Heart of the Revolution")
    }

    func testSlug() {
        XCTAssertEqual(TextRules.slug("Bolivia, April 1952: The Workers’ Revolution"), "bolivia-april-1952-the-workers-revolution")
        XCTAssertEqual(TextRules.slug("Bolivia – The Uprising Betrayed (1985)"), "bolivia-the-uprising-betrayed-1985")
        XCTAssertLessThanOrEqual(TextRules.slug(String(repeating: "word ", count: 40)).count, 48)
    }

    func testYAMLQuoting() {
        XCTAssertEqual(YAML.quote("Bolivia: \"Paz\" #1"), #""Bolivia: \"Paz\" #1""#)
        XCTAssertEqual(YAML.quote(#"a\b"#), #""a\\b""#)
    }
}

final class MoreTextRulesTests: XCTestCase {
    func testNoteMarkAfterTheSentenceStillEndsIt() {
        XCTAssertTrue(TextRules.endsSentence("it was humiliating …). (3)"))
        XCTAssertTrue(TextRules.endsSentence("remains intact.[^1]"))
        XCTAssertFalse(TextRules.endsSentence("the Trotsyism (11)"))
    }

    func testNumberAfterALowercaseWordContinuesTheSentence() {
        XCTAssertTrue(TextRules.continuesParagraph("The POR ignored these warnings. It was not until",
                                                   "1956 that it belatedly raised the slogan."))
        XCTAssertFalse(TextRules.continuesParagraph("The historic COB headquarters is destroyed",
                                                    "1982 — Pressure from the working class"))
    }

    func testMinorWordAtTheEndContinuesTheSentence() {
        XCTAssertTrue(TextRules.continuesParagraph("The 13th COB Congress, in", "August, concludes its proceedings."))
    }

    func testPossessiveAcronymsNumbersAndParticles() {
        XCTAssertEqual(TextRules.properCase("THE COB'S AGREEMENT GRANTS A 90-DAY DEADLINE"),
                       "The COB's Agreement Grants a 90-Day Deadline")
        XCTAssertEqual(TextRules.properCase("THE FALL OF SÁNCHEZ DE LOZADA"), "The Fall of Sánchez de Lozada")
    }
}

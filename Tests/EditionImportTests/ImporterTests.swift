import XCTest
@testable import EditionImport

final class ImporterTests: XCTestCase {

    func testHeaderBecomesTitleSubtitleAndAuthors() {
        let text = """
            BOLIVIA: THE POPULAR REBELLION IN THE CRISIS OF THE WORLD ORDER

            LITHIUM, INTERIMPERIALIST DISPUTE, AND CLASS STRUGGLE IN THE HEART OF LATIN AMERICA

            EDU ALMEIDA (IWL) AND FLORENCE OPPEN (WORKERS VOICE, US).

            INTRODUCTION

            Bolivia is experiencing a new wave of blockades.
            """
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.title, "Bolivia: The Popular Rebellion in the Crisis of the World Order")
        XCTAssertEqual(a.subtitle, "Lithium, Interimperialist Dispute, and Class Struggle in the Heart of Latin America")
        XCTAssertEqual(a.authors, [ImportedAuthor(name: "Edu Almeida", organization: "IWL"),
                                   ImportedAuthor(name: "Florence Oppen", organization: "Workers Voice, US")])
        XCTAssertEqual(a.body, ["## Introduction", "Bolivia is experiencing a new wave of blockades."])
    }

    func testBylineWithCommasAndDateLine() {
        let text = """
            A NEW UPRISING

            LENA SOUZA, PSTU BRAZIL AND FLORENCE OPPEN, WORKERS' VOICE (US)
            9 DE JUNHO, 2026

            Text.
            """
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.authors, [ImportedAuthor(name: "Lena Souza", organization: "PSTU Brazil"),
                                   ImportedAuthor(name: "Florence Oppen", organization: "Workers' Voice (US)")])
        XCTAssertEqual(a.date, "9 de Junho, 2026")
    }

    func testBylineBrokenOverTwoLinesAndBoldSourceByline() {
        let a = EditionImporter.importText("CHRONOLOGY\n\nEDU ALMEDIA,\nPSTU, LIT-CI\n\nText.")[0]
        XCTAssertEqual(a.authors, [ImportedAuthor(name: "Edu Almedia", organization: "PSTU, LIT-CI")])
        let b = EditionImporter.importText("TITLE\n\n**CORREO INTERNACIONAL,\n102, OCTOBER 2003**\n\nText.")[0]
        XCTAssertEqual(b.authors.first?.name, "Correo Internacional")
        XCTAssertEqual(b.body, ["Text."])
    }

    func testSourceLineAndByLine() {
        let text = """
            The following article was published in Proletarian Revolution No. 69 (Winter 2004).


            Bolivia’s Unfinished Revolution

            A working-class-led uprising ousted the president.

            From El Alto to La Paz

            A key turning point took place in El Alto.
            """
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.source, "First published in Proletarian Revolution No. 69 (Winter 2004)")
        XCTAssertEqual(a.title, "Bolivia’s Unfinished Revolution")
        XCTAssertEqual(a.body, ["A working-class-led uprising ousted the president.",
                                "## From El Alto to La Paz",
                                "A key turning point took place in El Alto."])

        let b = EditionImporter.importText("An introduction.\n\nBy Alicia Sagra\n\n(First published in Marxismo Vivo n.° 8, 2004.)\n\nText.")[0]
        XCTAssertEqual(b.authors, [ImportedAuthor(name: "Alicia Sagra")])
        XCTAssertEqual(b.source, "First published in Marxismo Vivo n.° 8, 2004")
        XCTAssertEqual(b.body, ["An introduction.", "Text."])
    }

    func testColumnBreaksInsideSentencesAreRejoined() {
        let text = """
            TITLE

            BYLINE NAME

            The protests are the consequence of a political earthquake that began with



            the August-October 2025 elections. After nearly two decades, it drifted.

            The rank-and-file pushed while sectors of the movement—both affiliated and unaffiliated with the

            COB, such as transport workers—were inclined to negotiate.

            The movement faces decisive challenges

            1. **Unity and centralization:** The struggle remains uneven.
            """
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.body, [
            "The protests are the consequence of a political earthquake that began with the August-October 2025 elections. After nearly two decades, it drifted.",
            "The rank-and-file pushed while sectors of the movement—both affiliated and unaffiliated with the COB, such as transport workers—were inclined to negotiate.",
            "The movement faces decisive challenges",
            "1. **Unity and centralization:** The struggle remains uneven.",
        ])
    }

    func testLongHeadingInMixedCaseIsNotJoinedToTheNextParagraph() {
        let text = """
            A title

            Some running text that ends its sentence.

            The controversy in the Fourth International: two policies regarding the Bolivian revolution

            There are currents that believe otherwise.
            """
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.body, ["Some running text that ends its sentence.",
                                "## The controversy in the Fourth International: two policies regarding the Bolivian revolution",
                                "There are currents that believe otherwise."])
    }

    func testHeadingsInCapitalsBecomeProperCaseLevelTwo() {
        let text = "TITLE\n\nNAME\n\nSome text here.\n\nA PARTY BORN OF THE\n\nUPRISING, BUT NOT TO SEE IT THROUGH TO THE END\n\nMore text."
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.body, ["Some text here.",
                                "## A Party Born of the Uprising, but Not to See It Through to the End",
                                "More text."])
    }

    func testNotesBecomeDefinitionsAndReferences() {
        let text = """
            TITLE

            NAME

            Bolivian workers remains intact.¹ It costs \\$5.²

            NOTES

            ¹ On the crisis: **Historical Materialism**.

            ² **The Wall Street Journal**,

            "Bolivia's Liquidity Crisis," January 17, 2026.

            ²⁰ **Contracts**: Reuters, 2024.

            Suspension: Mongabay Latam, August 25, 2025.

            - ³⁵ **Los Tiempos;** Fundación Pueblo, 2008.
            - ³⁶ **Infobae**, 2013.
            """
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.body, ["Bolivian workers remains intact.[^1] It costs $5.[^2]"])
        XCTAssertEqual(a.notes, [
            "[^1]: On the crisis: **Historical Materialism**.",
            "[^2]: **The Wall Street Journal**, \"Bolivia's Liquidity Crisis,\" January 17, 2026.",
            "[^20]: **Contracts**: Reuters, 2024.\n\n    Suspension: Mongabay Latam, August 25, 2025.",
            "[^35]: **Los Tiempos;** Fundación Pueblo, 2008.",
            "[^36]: **Infobae**, 2013.",
        ])
    }

    func testNoteNumbersAreKeptAsPrinted() {
        let text = "TITLE\n\nNAME\n\nOne.² Two.¹⁴ Three.¹⁴ Four.¹²\n\nNOTES\n\n² Two.\n\n¹² Twelve.\n\n¹⁴ Fourteen."
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.body, ["One.[^2] Two.[^14] Three.[^14] Four.[^12]"])
        XCTAssertEqual(a.notes, ["[^2]: Two.", "[^12]: Twelve.", "[^14]: Fourteen."])
    }

    func testFurnitureAndWebResidueAreDropped() {
        let text = """
            Post

            INTERNATIONAL

            A TITLE

            A NAME

            Text.

            Return to LRP homepage | Write to the LRP
            ISSN: 2179-118X
            www.litci.org
            """
        let a = EditionImporter.importText(text)[0]
        XCTAssertEqual(a.title, "A Title")
        XCTAssertEqual(a.body, ["Text."])
    }

    func testSplitAtTheArticlesOfThePrintedContents() {
        let text = """
            EDITION 29

            TABLE OF CONTENTS

            —\tFIRST ARTICLE\t2
            —\tSECOND ARTICLE ABOUT.....\t7
            —\tTHE MAS\t7

            Responsible Editor: Somebody

            FIRST ARTICLE

            ANNA A

            One.¹

            NOTES

            ¹ Note one.

            SECOND ARTICLE ABOUT THE MAS

            BOB B

            Two.
            """
        let articles = EditionImporter.importText(text, options: ImportOptions(split: true))
        XCTAssertEqual(articles.map(\.title), ["First Article", "Second Article About the MAS"])
        XCTAssertEqual(articles.map(\.printPage), [2, 7])
        XCTAssertEqual(articles[0].notes, ["[^1]: Note one."])
        XCTAssertEqual(articles[1].body, ["Two."])
        XCTAssertEqual(articles[1].authors, [ImportedAuthor(name: "Bob B")])
    }

    func testMarkdownHasQuotedFrontMatter() {
        var a = ImportedArticle(title: "Bolivia: \"Paz\"")
        a.authors = [ImportedAuthor(name: "Lena Souza", organization: "PSTU Brazil")]
        a.printPage = 15
        a.body = ["Text.[^1]"]
        a.notes = ["[^1]: Note."]
        XCTAssertEqual(a.markdown(), """
            ---
            title: "Bolivia: \\"Paz\\""
            authors:
              - name: "Lena Souza"
                organization: "PSTU Brazil"
            print-page: 15
            ---

            Text.[^1]

            [^1]: Note.

            """)
    }
}

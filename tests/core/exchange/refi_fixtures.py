# ruff: noqa: E501  (XML as the tools write it: long lines of GUIDs)
"""Small projects in the shapes the four tools write, for the import tests.

Each is built from what the tools' documentation and public examples show (the
REFI-QDA 1.5 standard's annexes, QualCoder's importer and exporter, published NVivo
and ATLAS.ti exports), with short Chinese texts whose offsets are counted by hand in
the comments. The data are invented.
"""

from __future__ import annotations

from pathlib import Path

from .refi_helpers import make_qdpx

# --- MAXQDA: upper-case GUIDs, schema location, Sets with MemberSource, values on sources

MAXQDA_TEXT = "我早上吃培根和鸡蛋。太油腻了，对身体不好。"
# 我0 早1 上2 吃3 培4 根5 和6 鸡7 蛋8 。9 太10 油11 腻12 了13 ，14 对15 ... 。20
MAXQDA_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
 name="Breakfast" origin="MAXQDA 2020 (Release 20.0.8)"
 creatingUserGUID="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" creationDateTime="2018-03-27T18:39:50Z">
  <Users>
    <User guid="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Simon" id="SG" />
  </Users>
  <CodeBook>
    <Codes>
      <Code color="#F00082" isCodable="true" name="Feelings" guid="0F8A1907-7E42-4739-8610-A676B4D1B69F">
        <Description>thoughts about breakfast foods</Description>
        <Code color="#F00082" isCodable="true" name="disgust" guid="D2C1E38E-5220-42FA-A442-908471CC7964" />
      </Code>
      <Code color="#463CC8" isCodable="true" name="bacon and eggs" guid="F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44">
        <Description>a plate of breakfast made by the hotel</Description>
      </Code>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable name="Age" typeOfVariable="Integer" guid="5F7DF93B-9B7C-4AF6-9B2B-8C3F7E0A1B11" />
  </Variables>
  <Sources>
    <TextSource plainTextPath="internal://01106019-2B0F-4A7E-9A92-5E8AA6E24D8B.txt"
     creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" creationDateTime="2018-03-27T18:39:50Z"
     name="Interview Simon" guid="01106019-2B0F-4A7E-9A92-5E8AA6E24D8B">
      <PlainTextSelection startPosition="4" endPosition="9" modifiedDateTime="2018-03-27T18:42:00Z"
       creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" creationDateTime="2018-03-27T18:39:50Z"
       guid="63E009F1-5C33-4568-B65D-53A7E28BDBC1" name="damage done by fatty foods">
        <Description>why does Simon feel the need to do this?</Description>
        <Coding creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB"
         creationDateTime="2018-03-27T18:39:50Z" guid="9AD860A5-3D53-4BDE-B5EE-A8FC613C1652">
          <CodeRef targetGUID="F9C6EAC0-8A66-4757-9D8A-9A6C8FEA3C44" />
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection startPosition="10" endPosition="14"
       creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" creationDateTime="2018-03-27T18:40:10Z"
       guid="7B3E1A44-0C6D-4F1B-9E7A-2D0C5B8F3A21" name="">
        <Coding creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" guid="1C2D3E4F-5A6B-4C7D-8E9F-0A1B2C3D4E5F">
          <CodeRef targetGUID="D2C1E38E-5220-42FA-A442-908471CC7964" />
        </Coding>
      </PlainTextSelection>
      <VariableValue>
        <VariableRef targetGUID="5F7DF93B-9B7C-4AF6-9B2B-8C3F7E0A1B11" />
        <IntegerValue>34</IntegerValue>
      </VariableValue>
    </TextSource>
  </Sources>
  <Sets>
    <Set guid="2A6B1C3D-4E5F-4A7B-8C9D-0E1F2A3B4C5D" name="Interviews">
      <MemberSource targetGUID="01106019-2B0F-4A7E-9A92-5E8AA6E24D8B" />
    </Set>
  </Sets>
</Project>
"""


def maxqda(path: Path) -> Path:
    return make_qdpx(
        path,
        {
            "project.qde": MAXQDA_QDE,
            "Sources/01106019-2B0F-4A7E-9A92-5E8AA6E24D8B.txt": MAXQDA_TEXT,
        },
    )


# --- NVivo: no schema location, richTextPath .docx beside the text, lower-case sources/,
# --- classifications as Cases, annotations as Notes linked to a selection

NVIVO_TEXT = "疫苗的问题反复出现。"  # 疫0 苗1 的2 问3 题4 反5 复6 出7 现8 。9
NVIVO_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" name="Vaccines" origin="NVivo for Windows 12.6"
 creatingUserGUID="f93ad076-5ca1-4f46-abf4-b4b67130a6e2" creationDateTime="2025-02-21T15:09:07Z"
 basePath="" xmlns="urn:QDA-XML:project:1.0">
  <Users>
    <User guid="8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645" name="Coder" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="3c51efbb-071f-43a7-9f32-228b89668e8d" name="Perceived susceptibility" isCodable="true">
        <Code guid="4d62f0cc-182f-44b8-a043-339c90779e9e" name="Personal risk" isCodable="true" />
      </Code>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="a1b2c3d4-0000-4000-8000-000000000001" name="Region" typeOfVariable="Text" />
  </Variables>
  <Cases>
    <Case guid="c1111111-1111-4111-8111-111111111111" name="Participant 1">
      <VariableValue>
        <VariableRef targetGUID="a1b2c3d4-0000-4000-8000-000000000001" />
        <TextValue>广西</TextValue>
      </VariableValue>
      <SourceRef targetGUID="56a79789-d535-4fb8-bedd-a915504c54ba" />
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="56a79789-d535-4fb8-bedd-a915504c54ba" name="videos_selection"
     richTextPath="internal://56a79789-d535-4fb8-bedd-a915504c54ba.docx"
     plainTextPath="internal://56a79789-d535-4fb8-bedd-a915504c54ba.txt"
     creationDateTime="2025-06-11T16:24:07">
      <PlainTextSelection guid="fd960901-8191-4db1-a3dd-a91626d56c4b" name="" startPosition="0"
       endPosition="2" creatingUser="8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645">
        <Coding guid="aa960901-8191-4db1-a3dd-a91626d56c4b" creatingUser="8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645">
          <CodeRef targetGUID="4d62f0cc-182f-44b8-a043-339c90779e9e" />
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="0b7f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d" name="" startPosition="3"
       endPosition="5" creatingUser="8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645" />
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="9e8d7c6b-5a49-4382-8170-6f5e4d3c2b1a" name="Annotation"
     plainTextPath="internal://9e8d7c6b-5a49-4382-8170-6f5e4d3c2b1a.txt"
     creatingUser="8ca3a2c1-8b7a-41c3-a9dd-a8fb46caa645" />
  </Notes>
  <Links>
    <Link guid="1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b" name="Annotation"
     originGUID="9e8d7c6b-5a49-4382-8170-6f5e4d3c2b1a" targetGUID="0b7f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d" />
  </Links>
</Project>
"""


def nvivo(path: Path) -> Path:
    return make_qdpx(
        path,
        {
            "project.qde": NVIVO_QDE,
            "sources/56a79789-d535-4fb8-bedd-a915504c54ba.txt": NVIVO_TEXT,
            "sources/56a79789-d535-4fb8-bedd-a915504c54ba.docx": b"PK\x03\x04 not really a docx",
            "sources/9e8d7c6b-5a49-4382-8170-6f5e4d3c2b1a.txt": "反复出现的担忧",
        },
    )


# --- QualCoder: categories as isCodable="false", coding memos as Description,
# --- annotations as a Note holding its PlainTextSelection, referenced by the source

QUALCODER_TEXT = "乡村振兴是大局。"  # 乡0 村1 振2 兴3 是4 大5 局6 。7
QUALCODER_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
 name="rural.qda" origin="QualCoder-3.5" creationDateTime="2024-05-01T10:00:00Z">
<Users>
<User guid="b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e" name="default" />
<User guid="c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f" name="li" />
</Users>
<CodeBook>
<Codes>
<Code guid="d3e4f5a6-b7c8-4d9e-8f01-2a3b4c5d6e7f" name="政策" isCodable="false">
<Description>policy themes</Description>
<Code guid="e4f5a6b7-c8d9-4e0f-9a12-3b4c5d6e7f80" name="乡村振兴" isCodable="true" color="#ff0000">
</Code>
</Code>
</Codes>
</CodeBook>
<Variables>
<Variable guid="f5a6b7c8-d9e0-4f1a-8b23-4c5d6e7f8091" name="date" typeOfVariable="Date">
<Description />
</Variable>
</Variables>
<Sources>
<TextSource guid="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" name="speech.txt"
 plainTextPath="internal://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.txt"
 creatingUser="c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f" creationDateTime="2024-05-01T10:00:00Z">
<PlainTextSelection guid="1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e" startPosition="0" endPosition="4"
 name="乡村振兴" creatingUser="c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f" creationDateTime="2024-05-02T09:30:00Z">
<Description>the key phrase</Description>
<Coding guid="2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f" creatingUser="c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f" >
<CodeRef targetGUID="e4f5a6b7-c8d9-4e0f-9a12-3b4c5d6e7f80" />
</Coding>
</PlainTextSelection>
<NoteRef targetGUID="3d4e5f6a-7b8c-4d9e-8f01-2a3b4c5d6e7f" />
<VariableValue>
<VariableRef targetGUID="f5a6b7c8-d9e0-4f1a-8b23-4c5d6e7f8091" />
<DateValue>2019-06-27</DateValue>
</VariableValue>
</TextSource>
</Sources>
<Notes>
<Note guid="3d4e5f6a-7b8c-4d9e-8f01-2a3b4c5d6e7f" creatingUser="c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f"
 creationDateTime="2024-05-03T08:00:00Z" >
<PlainTextContent>an annotation on 大局</PlainTextContent>
<PlainTextSelection guid="4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b" startPosition="5" endPosition="7" />
</Note>
</Notes>
</Project>
"""


def qualcoder(path: Path) -> Path:
    return make_qdpx(
        path,
        {
            "project.qde": QUALCODER_QDE,
            "Sources/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.txt": QUALCODER_TEXT,
        },
    )


# --- ATLAS.ti: upper-case GUIDs, its own "ATLAS.ti" user, a source file with CRLF line
# --- breaks whose positions count CRLF as one character, a PDF and a network (graph)

ATLAS_TEXT = "第一行\r\n第二行很重要\r\n"
# as read (LF): 第0 一1 行2 \n3 第4 二5 行6 很7 重8 要9 \n10: 很重要 is 7..10
ATLAS_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
 origin="ATLAS.ti for Windows 23.2.3.27778" name="atlas-project"
 creatingUserGUID="088B08AC-D5CD-4ADB-8B71-B4F3459C177F" creationDateTime="2023-08-16T15:49:36Z"
 xmlns="urn:QDA-XML:project:1.0">
  <Users>
    <User guid="088B08AC-D5CD-4ADB-8B71-B4F3459C177F" name="Enric" />
    <User guid="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B" name="ATLAS.ti" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6" name="Commits" isCodable="true">
        <Code guid="2D2466F0-D77F-4F8C-BDF9-628966B6B74D" name="重要" isCodable="true" color="#4080C0" />
      </Code>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="{6A2C8E10-1B3D-4F5A-9C7E-0D2F4A6B8C1E}" name="Document 1"
     plainTextPath="internal://6A2C8E10-1B3D-4F5A-9C7E-0D2F4A6B8C1E.txt"
     creatingUser="088B08AC-D5CD-4ADB-8B71-B4F3459C177F" creationDateTime="2023-08-16T15:50:00Z">
      <PlainTextSelection guid="B7D9F1A3-C5E7-4092-B4D6-F8A0C2E4A6B8" name="很重要"
       startPosition="7" endPosition="10" creatingUser="088B08AC-D5CD-4ADB-8B71-B4F3459C177F"
       creationDateTime="2023-08-16T15:50:10Z">
        <Description>a quotation comment</Description>
        <Coding guid="C8EA02B4-D6F8-41A3-C5E7-09B1D3F5B7C9" creatingUser="088B08AC-D5CD-4ADB-8B71-B4F3459C177F">
          <CodeRef targetGUID="2D2466F0-D77F-4F8C-BDF9-628966B6B74D" />
        </Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="D9FB13C5-E709-42B4-D6F8-1AC2E4A6C8DA" name="scan.pdf"
     path="internal://D9FB13C5-E709-42B4-D6F8-1AC2E4A6C8DA.pdf" />
  </Sources>
  <Graphs>
    <Graph guid="EA0C24D6-F81A-43C5-E709-2BD3F5B7D9EB" name="Network" />
  </Graphs>
</Project>
"""


def atlas(path: Path) -> Path:
    return make_qdpx(
        path,
        {
            "project.qde": ATLAS_QDE,
            "Sources/6A2C8E10-1B3D-4F5A-9C7E-0D2F4A6B8C1E.txt": ATLAS_TEXT.encode("utf-8"),
            "Sources/D9FB13C5-E709-42B4-D6F8-1AC2E4A6C8DA.pdf": b"%PDF-1.4 not really",
        },
    )


def inline(path: Path, qde_body: str) -> Path:
    """A minimal project whose sources carry their text inline (PlainTextContent)."""
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="inline" origin="hand-made">'
        f"{qde_body}</Project>"
    )
    return make_qdpx(path, {"project.qde": qde})

package dataset

// Shape is the layout of a dataset's lines (docs/formats.md#datasets-and-validation).
type Shape string

// The accepted shapes, and ShapeUnknown for a dataset none of whose lines
// shows one (an empty file, a CSV).
const (
	ShapeChat     Shape = "chat"     // {"messages":[{"role":…,"content":…},…]}
	ShapeShareGPT Shape = "sharegpt" // {"conversations":[{"from":…,"value":…},…]}
	ShapeAlpaca   Shape = "alpaca"   // {"instruction":…,"input"?:…,"output":…}
	ShapeUnknown  Shape = "unknown"
)

// shapeID indexes per-shape state. sNone is a line without a shape: not a
// JSON object, or an object with none of the keys below.
type shapeID uint8

const (
	sNone shapeID = iota
	sChat
	sShareGPT
	sAlpaca
	numShapes
)

var shapeNames = [numShapes]Shape{sNone: ShapeUnknown, sChat: ShapeChat, sShareGPT: ShapeShareGPT, sAlpaca: ShapeAlpaca}

// shapeKeys says which top-level key made a line's shape, for messages.
var shapeKeys = [numShapes]string{sChat: "messages", sShareGPT: "conversations", sAlpaca: "instruction/output"}

// shapeOfKeys is the rule that tells a line's shape from its top-level
// keys: messages wins over conversations, which wins over the alpaca keys,
// so a chat line that also carries a "conversations" field stays chat.
func shapeOfKeys(hasMessages, hasConversations, hasInstruction, hasOutput bool) shapeID {
	switch {
	case hasMessages:
		return sChat
	case hasConversations:
		return sShareGPT
	case hasInstruction || hasOutput:
		return sAlpaca
	}
	return sNone
}

// DetectShape returns the shape a single line shows by its keys, or
// ShapeUnknown when it is not a JSON object or has none of the keys. It
// does not check the line further: a line can show a shape and still be
// invalid.
func DetectShape(line []byte) Shape {
	var c lineChecker
	c.parse(trimLine(line))
	if c.code != cValid {
		return ShapeUnknown
	}
	return shapeNames[c.shape()]
}

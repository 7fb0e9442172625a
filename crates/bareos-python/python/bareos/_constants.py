"""Constants of the Bareos network protocol (also `bareos.bsock.constants`)."""

from typing import Dict, Optional


class Constants:
    """Separators and ``BNET_*`` signal codes of the Bareos network protocol."""

    unit_separator = chr(0x1F)
    record_separator = chr(0x1E)
    record_separator_compat_regex = r"[ {0}]".format(chr(0x1E))
    group_separator = chr(0x1D)

    BNET_EOD = -1
    BNET_EOD_POLL = -2
    BNET_STATUS = -3
    BNET_TERMINATE = -4
    BNET_POLL = -5
    BNET_HEARTBEAT = -6
    BNET_HB_RESPONSE = -7
    BNET_xxxxxxPROMPT = -8
    BNET_BTIME = -9
    BNET_BREAK = -10
    BNET_START_SELECT = -11
    BNET_END_SELECT = -12
    BNET_INVALID_CMD = -13
    BNET_CMD_FAILED = -14
    BNET_CMD_OK = -15
    BNET_CMD_BEGIN = -16
    BNET_MSGS_PENDING = -17
    BNET_MAIN_PROMPT = -18
    BNET_SELECT_INPUT = -19
    BNET_WARNING_MSG = -20
    BNET_ERROR_MSG = -21
    BNET_INFO_MSG = -22
    BNET_RUN_CMD = -23
    BNET_YESNO = -24
    BNET_START_RTREE = -25
    BNET_END_RTREE = -26
    BNET_SUB_PROMPT = -27
    BNET_TEXT_INPUT = -28

    _description: Dict[int, str] = {
        -1: "End of data stream, new data may follow",
        -2: "End of data and poll all in one",
        -3: "Send full status",
        -4: "Conversation terminated",
        -5: "Poll request, I'm hanging on a read",
        -6: "Heartbeat Response requested",
        -7: "Only response permited to HB",
        -8: "No longer used -- Prompt for subcommand",
        -9: "Send UTC btime",
        -10: "Stop current command -- ctl-c",
        -11: "Start of a selection list",
        -12: "End of a select list",
        -13: "Invalid command sent",
        -14: "Command failed",
        -15: "Command succeeded",
        -16: "Start command execution",
        -17: "Messages pending",
        -18: "Server ready and waiting",
        -19: "Return selection input",
        -20: "Warning message",
        -21: "Error message -- command failed",
        -22: "Info message -- status line",
        -23: "Run command follows",
        -24: "Request yes no response",
        -25: "Start restore tree mode",
        -26: "End restore tree mode",
        -27: "Indicate we are at a subprompt",
        -28: "Get text input from user",
    }

    @staticmethod
    def get_description(code: int) -> Optional[str]:
        """The description of a ``BNET_*`` signal code, or ``None`` if unknown."""
        return Constants._description.get(code)

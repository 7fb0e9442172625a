"""The command-line tools of python-bareos, installed as console scripts by ``pip``.

=============================  ==========================================
script                         module
=============================  ==========================================
``bconsole.py``                :py:mod:`bareos.tools.bconsole`
``bconsole-json.py``           :py:mod:`bareos.tools.bconsole_json`
``bareos-fd-connect.py``       :py:mod:`bareos.tools.fd_connect`
``bareos-jsonrpc-server.py``   :py:mod:`bareos.tools.jsonrpc_server`
=============================  ==========================================

Each module has a ``main()``; ``python -m bareos.tools.bconsole`` runs it too.
"""
